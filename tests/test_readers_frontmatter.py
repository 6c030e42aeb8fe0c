"""Front-matter folders: a hand-checked fixture and the Kubernetes glossary pages as published."""

from pathlib import Path

import pytest

from index import build_index
from index.sources import glossary_files, load_glossary
from indexformat.errors import GlossaryParseError
from tests.conftest import REAL_GLOSSARIES, by_term

FIXTURE = Path(__file__).parent / "fixtures" / "frontmatter"
KUBERNETES = REAL_GLOSSARIES / "kubernetes"


@pytest.fixture(scope="module")
def tiny():
    return load_glossary(FIXTURE)


def test_folder_is_one_glossary_named_by_its_section_page(tiny):
    found = glossary_files([FIXTURE.parent])
    assert FIXTURE in found and not any(FIXTURE in p.parents for p in found)  # the folder, not its pages
    assert tiny.title == "Tiny Cluster Terms"
    assert [e.term for e in tiny.entries] == ["Kubelet", "Node", "Pod"]


def test_section_page_and_page_without_front_matter_are_skipped_and_reported(tiny):
    assert tiny.report.skipped == (
        f"{FIXTURE / '_index.md'}:1: a section page, not a term",
        f"{FIXTURE / 'notes.md'}:1: no YAML front matter",
    )
    assert tiny.report.items == 5 and tiny.report.entries == 3 and tiny.report.kind == "pages"


def test_short_text_then_body_without_repeating_it(tiny):
    node = by_term(tiny, "Node")
    assert node.text == "A worker machine in a cluster. Each node runs Pod on its kubelet. See the docs."
    assert "<!--more-->" not in node.definition and "{{" not in node.definition
    pod = by_term(tiny, "Pod")
    assert pod.text == ("The smallest deployable unit of computing. A Pod is a group of containers that share "
                        "storage, scheduled onto one node. Pods are ephemeral.")  # {{% note %}} tags dropped
    assert by_term(tiny, "Kubelet").text == "An agent that runs on each node."  # `description`, no body


def test_aka_are_aliases_and_term_ids_are_related(tiny):
    node, pod = by_term(tiny, "Node"), by_term(tiny, "Pod")
    assert node.aliases == ("Minion", "worker") and pod.aliases == ("PodGroup",)
    assert node.related == ("Pod", "Kubelet")  # term_id by the page's id: pod-id, kubelet-agent
    assert node.unresolved == ("cluster",)
    assert pod.related == ("Node",)


def test_format_forced_on_a_folder_and_refused_on_a_file(tmp_path):
    folder = tmp_path / "terms"
    folder.mkdir()
    (folder / "alpha.md").write_text("---\ntitle: Alpha\n---\nThe first letter.\n", encoding="utf-8")
    assert glossary_files([folder]) == [folder / "alpha.md"]  # one page is not "mostly front matter"
    assert glossary_files([folder], "frontmatter") == [folder]
    assert [e.term for e in load_glossary(folder, "frontmatter").entries] == ["Alpha"]
    with pytest.raises(GlossaryParseError, match="reads a folder"):
        load_glossary(folder / "alpha.md", "frontmatter")


def test_folder_glossary_builds_and_goes_stale_when_a_page_changes(tmp_path, fake_encoder):
    from search import open_index

    folder = tmp_path / "pages"
    folder.mkdir()
    for page in FIXTURE.iterdir():
        (folder / page.name).write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    report = build_index([folder], tmp_path / "ix", encoder=fake_encoder)
    assert report.manifest.entries == 3
    assert build_index([folder], tmp_path / "ix", encoder=fake_encoder).skipped
    (folder / "pod.md").write_text("---\ntitle: Pod\n---\nA group of containers.\n", encoding="utf-8")
    assert open_index(tmp_path / "ix").stale() == [str(folder.resolve())]


@pytest.fixture(scope="module")
def kubernetes():
    if not KUBERNETES.is_dir():
        pytest.skip("the shared real glossaries are not here")
    return load_glossary(KUBERNETES)


def test_kubernetes_glossary_reads_as_published(kubernetes):
    assert glossary_files([KUBERNETES]) == [KUBERNETES]
    assert kubernetes.title == "Standardized Glossary"
    assert len(kubernetes.entries) == 74
    assert kubernetes.report.skipped == (f"{KUBERNETES / 'index.md'}:1: a section page, not a term",)
    assert kubernetes.report.redirects == 0 and not kubernetes.report.merged and not kubernetes.report.kept_apart


def test_kubernetes_exact_entries(kubernetes):
    cluster = by_term(kubernetes, "Cluster")
    assert cluster.text == ("A set of machines that run containerized applications managed by Kubernetes. "
                            "A cluster has a control plane and several nodes.")
    assert cluster.related == ("Control Plane", "Node")  # term_id="control-plane", term_id="node"
    assert by_term(kubernetes, "Horizontal Pod Autoscaler").aliases == ("HPA",)
    assert by_term(kubernetes, "API server").aliases == ("kube-apiserver",)
    assert by_term(kubernetes, "Pod Disruption Budget").aliases == ("PDB",)
    eviction = by_term(kubernetes, "API-initiated eviction")
    assert "{{" not in eviction.definition and "param" not in eviction.text


def test_kubernetes_tooltips_without_text_read_the_named_term(kubernetes):
    runtime = by_term(kubernetes, "Container Runtime")
    assert "{{" not in runtime.definition
    # term_ids of pages outside this copy stay names, reported once each
    assert set(runtime.unresolved) == {"docker", "containerd", "cri-o"}


def test_a_folder_of_heading_glossaries_with_front_matter_is_not_one_glossary(tmp_path):
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("---\ntitle: Letters\n---\n## Alpha\nOne.\n## Beta\nTwo.\n", encoding="utf-8")
    assert glossary_files([tmp_path]) == [tmp_path / "a.md", tmp_path / "b.md"]
    assert [e.term for e in load_glossary(tmp_path / "a.md").entries] == ["Alpha", "Beta"]


def test_bad_front_matter_is_skipped_with_a_reason(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: Alpha\n---\nOne.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: [unclosed\n---\nTwo.\n", encoding="utf-8")
    (tmp_path / "c.md").write_text("---\ntitle: Gamma\n---\nThree.\n", encoding="utf-8")
    glossary = load_glossary(tmp_path)
    assert [e.term for e in glossary.entries] == ["Alpha", "Gamma"]
    assert glossary.report.skipped == (f"{tmp_path / 'b.md'}:1: the front matter is not a YAML mapping",)
