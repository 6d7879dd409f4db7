"""A Vietnamese question-answering assistant over a news portal's articles, with a
citation to the exact passage behind every claim.

A regular package (not a namespace one), so that its data folders (``web/``,
``prompts/``) resolve to one directory with :mod:`importlib.resources`.
"""
