"""Word lists shared by indexing and answering."""

from __future__ import annotations

# Very frequent Vietnamese function words (folded), and their English counterparts. They
# add noise to an OR query and nothing to ranking; figures, names and content words
# carry the match.
STOPWORDS = frozenset(
    """
    va la cua co cac nhung duoc trong voi cho de tu da den thi ma nay do khi nhu o ve
    mot bao nhieu gi nao sao the ai dau ra vao con tai vi theo tren duoi
    the what which who how many much is are was were of the a an in on to for and with by
    """.split()
)
