"""Chat: one conversation per (post, buyer) between that buyer and the post's seller."""
