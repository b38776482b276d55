"""The demo: a sample inbox, filled-in sample forms and throwaway local mail servers (the [demo] extra)."""
