"""What a receipt says about returns, annotated copies, and the verdict JSON."""
