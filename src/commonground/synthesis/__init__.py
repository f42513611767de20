"""Synthetic conversations that go off track, with ground truth: scenarios, personas, trajectories, two
generators (role-play with the configured model; data-only from real labelled utterances), quality control,
export (JSON lines, ConvoKit) and a report. The command is `commonground synth`."""
