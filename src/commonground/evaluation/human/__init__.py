"""Human evaluation: blind annotation batches, their sheets, agreement, win rates and Bradley–Terry scores.

The flow: `batch.build_batch` (outputs of one or more systems → a blind batch and its private key), a
sheet (`sheets`) or the platform's annotation page for the answers, `sheets.import_sheets` (answers
unblinded into judgements), `report.report`. Modules importing the scientific stack (`agreement`,
`preferences`, `report`) are imported only where they are used.
"""
