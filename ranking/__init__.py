"""The ranking stages, shared by the build (which fits them to a glossary) and the query side (which runs them)."""

from ranking.config import DEFAULT, RankingConfig
from ranking.rank import Ranker, Ranking

__all__ = ["DEFAULT", "Ranker", "Ranking", "RankingConfig"]
