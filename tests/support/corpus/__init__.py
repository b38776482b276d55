"""A corpus of mail written the ways offices in 兴安盟 write it: clients, quoting, forms, contact details (issue 16)."""
