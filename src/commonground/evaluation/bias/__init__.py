"""The democratic-bias benchmark: one suite of pluralism, opinion fidelity and neutrality items run against
any model (`suite`, `dimensions`), resumable from its checkpoint (`runner`, `checkpoint`), reported as JSON
and self-contained HTML (`report`, `html`, `plots`), and two reports compared (`compare`)."""
