"""The web page's HTML, rendered from search results; no server needed to test it."""
