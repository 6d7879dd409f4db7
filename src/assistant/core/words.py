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

# A chat reader's particles and tags, as written (lower case; a
# phrase joined by "_" like the lexical pairs): "… phải không, cụ thể là bao nhiêu người
# vậy nhỉ?". They ask nothing and no article writes them, so they weigh nothing in what
# an answer must cover. Only forms with marks: typed without them, "vay" is a loan and
# "nha" a house.
CHAT_PARTICLES = frozenset(
    """
    vậy nhỉ nhé nhá ạ ơi dạ hả hở chứ giùm
    phải_không đúng_không có_phải cụ_thể chính_xác
    """.split()
)
