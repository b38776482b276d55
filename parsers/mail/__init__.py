"""Mail as bytes: MIME decoding, header text, bodies, quoted replies, forwards and attachments."""
