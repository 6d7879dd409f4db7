"""Readers' feedback on answers and the questions the chat suggests.

* :mod:`.store`: the store interface, and ratings in ``feedback.sqlite3`` next to the
  index (separate, so rebuilding or replacing the index never loses them), written with
  the index's SQLite helpers; :mod:`.postgres`: the same in the index's PostgreSQL
  database, shared by every replica; exported as CSV or JSON Lines for the editors
  (:mod:`.export`).
* :mod:`.suggestions`: questions drawn from the indexed articles for the chat's empty
  screen, computed once per index generation by one :class:`~.suggestions.Suggester`.

The HTTP side is ``api/routes/feedback.py``; the request and response models are in
``api/schemas.py`` with the others.
"""
