"""What coordinators read and report upward: the ledger workbook, the matrix, the exports."""
