"""Cut the test samples in tests/data from the development data (../shared/data), reproducibly.

    python tests/data/make_samples.py [SOURCE]     (SOURCE: default ../shared/data, run from the project root)

Each sample keeps the layout and the byte format of its data set: the records it keeps are copied as they
are (quoted fields spanning lines included), in file order, with the licence files beside them. Which
records are kept is fixed by seeded choices and by the project's own split and pool rules, so that every
split and every pool the tests draw from is present (see tests/data/README.md).
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from commonground.core.devdata import DEVELOPMENT_DATA, script_data
from commonground.datasets import read_cga
from commonground.signals.derailment_training import split_corpus
from commonground.signals.incivility.data import split_of
from commonground.synthesis.utterances import MAX_WORDS, MIN_WORDS, clean, escalation_of, tone_of
from commonground.tasks.rephrase.examples import TEXTDETOX_EXAMPLES

OUT = Path(__file__).parent
LICENCES = (
    "paradetox/LICENSE",
    "textdetox/LICENSE_pan-code_MIT",
    "toxicity/davidson-2017/LICENSE",
    "toxicity/germeval-2018/LICENSE.md",
    "toxicity/civil-comments-sentences/README.md",
    "conversations-gone-awry-cmv/LICENSE",
    "conversations-gone-awry-cmv/CITATION.md",
    "habermas/LICENSE",
    "polis/README_openData.md",
)
POOL_SHARE = 12  # training-split messages kept per (language, pool kind) of the data-only generator
CGA_PER_CLASS, CGA_FIRST = 50, 40


def raw_records(path: Path, delimiter: str) -> list[tuple[str, list[str]]]:
    """(raw text, fields) of every record of a CSV/TSV file, the header first; raw texts join to the file."""
    csv.field_size_limit(1 << 24)
    taken: list[str] = []

    def lines() -> Iterator[str]:
        with path.open(encoding="utf-8", newline="") as handle:
            for line in handle:
                taken.append(line)
                yield line

    records = []
    for fields in csv.reader(lines(), delimiter=delimiter):
        records.append(("".join(taken), fields))
        taken.clear()
    return records


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="")


def keep(records: Sequence[tuple[str, list[str]]], chosen: set[int]) -> str:
    """The header and the chosen records (indexes into the records after the header), in file order."""
    return records[0][0] + "".join(records[i + 1][0] for i in sorted(chosen))


def seeded(name: str, items: Sequence[int], count: int) -> list[int]:
    return random.Random(f"commonground-test-data:{name}").sample(list(items), min(count, len(items)))


def pool_kind(text: str, label: int, lang: str) -> str | None:
    """The data-only generator's pool of a training-split message (None: it draws nothing from it)."""
    text = clean(text)
    if not MIN_WORDS <= len(text.split()) <= MAX_WORDS:
        return None
    return escalation_of(text, lang) if label else tone_of(text, lang)


def by_pool(name: str, rows: dict[int, tuple[str, int]], lang: str) -> set[int]:
    """Up to POOL_SHARE rows of each pool kind among `rows` (index → (text, label))."""
    kinds: dict[str, list[int]] = defaultdict(list)
    for index, (text, label) in rows.items():
        kind = pool_kind(text, label, lang)
        if kind is not None:
            kinds[kind].append(index)
    return {i for kind, found in sorted(kinds.items()) for i in seeded(f"{name}:{kind}", found, POOL_SHARE)}


def paradetox(source: Path) -> None:
    header, *records = raw_records(source / "paradetox" / "paradetox.tsv", "\t")
    short = [i for i, (raw, _) in enumerate(records) if raw.count("\n") <= 3]
    spanning = [i for i in short if records[i][0].count("\n") > 1]
    chosen = set(range(50)) | set(spanning[:3]) | {spanning[0] + 1}
    for split, count in (("test", 130), ("train", 90), ("validation", 20)):
        chosen |= set(
            seeded(f"paradetox:{split}", [i for i in short if split_of(records[i][1][0]) == split], count)
        )
    write(OUT / "paradetox" / "paradetox.tsv", keep([header, *records], chosen))

    records = raw_records(source / "paradetox" / "paradetox_cannot_rewrite.tsv", "\t")
    reasons: dict[str, list[int]] = defaultdict(list)
    for i, (_, fields) in enumerate(records[1:]):
        reasons[fields[2]].append(i)
    chosen = set(range(20))
    for reason, found in sorted(reasons.items()):
        chosen |= set(seeded(f"cannot-rewrite:{reason}", found, 25))
    write(OUT / "paradetox" / "paradetox_cannot_rewrite.tsv", keep(records, chosen))


def textdetox(source: Path) -> None:
    records = raw_records(source / "textdetox" / "clef24_dev_inputs_9lang.tsv", "\t")
    rows = records[1:]
    german = {
        json.loads(line)["message"] for line in TEXTDETOX_EXAMPLES.read_text(encoding="utf-8").splitlines()
    }
    chosen = set(range(10)) | {i for i, (_, fields) in enumerate(rows) if fields[0] in german}
    langs = sorted({fields[2] for _, fields in rows})
    for lang in langs:
        mine = [i for i, (_, fields) in enumerate(rows) if fields[2] == lang]
        if lang in ("en", "de", "es"):
            for split in ("test", "train"):
                found = [i for i in mine if split_of(rows[i][1][0]) == split]
                chosen |= set(seeded(f"textdetox:{lang}:{split}", found, 20))
        else:
            chosen |= set(seeded(f"textdetox:{lang}", mine, 10))
    write(OUT / "textdetox" / "clef24_dev_inputs_9lang.tsv", keep(records, chosen))


def davidson(source: Path) -> None:
    path = Path("toxicity") / "davidson-2017" / "labeled_data.csv"
    records = raw_records(source / path, ",")
    rows = [(fields[6], int(fields[5] != "2")) for _, fields in records[1:]]
    splits: dict[str, list[int]] = defaultdict(list)
    for i, (text, _) in enumerate(rows):
        splits[split_of(text)].append(i)
    chosen = set(seeded("davidson:test", splits["test"], 150)) | set(
        seeded("davidson:validation", splits["validation"], 20)
    )
    chosen |= set(seeded("davidson:train", splits["train"], 30))
    chosen |= by_pool("davidson", {i: rows[i] for i in splits["train"]}, "en")
    write(OUT / path, keep(records, chosen))


def civil_comments(source: Path) -> None:
    """40 sentences of each file, chosen by seed."""
    folder = Path("toxicity") / "civil-comments-sentences"
    for name in ("dev_toxic.txt", "dev_normal.txt"):
        lines = (source / folder / name).read_text(encoding="utf-8").splitlines()
        chosen = sorted(seeded(f"civil-comments:{name}", range(len(lines)), 40))
        write(OUT / folder / name, "".join(lines[i] + "\n" for i in chosen))


def germeval(source: Path) -> None:
    folder = Path("toxicity") / "germeval-2018"
    lines = (
        (source / folder / "germeval2018.training.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    )
    rows = {i: (line.split("\t")[0], int(line.split("\t")[1] == "OFFENSE")) for i, line in enumerate(lines)}
    train = [i for i, (text, _) in rows.items() if split_of(text) == "train"]
    held = [i for i, (text, _) in rows.items() if split_of(text) != "train"]
    chosen = by_pool("germeval", {i: rows[i] for i in train}, "de")
    chosen |= set(seeded("germeval:train", train, 30)) | set(seeded("germeval:validation", held, 20))
    write(OUT / folder / "germeval2018.training.txt", "".join(lines[i] for i in sorted(chosen)))
    test = (source / folder / "germeval2018.test.txt").read_text(encoding="utf-8").splitlines(keepends=True)
    write(
        OUT / folder / "germeval2018.test.txt",
        "".join(test[i] for i in sorted(seeded("germeval:test", range(len(test)), 120))),
    )


def conversations_gone_awry(source: Path) -> None:
    """The first lines, then more of each class so that the sample's held-out split is the full data's."""
    path = source / "conversations-gone-awry-cmv" / "cmv_base_valid.json"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cases = read_cga(path)
    _, test = split_corpus(cases)
    held = {case.id for case in test}
    chosen = set(range(CGA_FIRST))
    for derails in (False, True):
        for held_out, share in ((True, 0.3), (False, 0.7)):
            wanted = round(CGA_PER_CLASS * share)
            mine = [
                i for i, case in enumerate(cases) if case.derails is derails and (case.id in held) is held_out
            ]
            have = [i for i in mine if i in chosen]
            rest = [i for i in mine if i not in chosen]
            chosen |= set(seeded(f"cga:{derails}:{held_out}", rest, wanted - len(have)))
    write(path_in_out(path, source), "".join(lines[i] for i in sorted(chosen)))


def path_in_out(path: Path, source: Path) -> Path:
    return OUT / path.relative_to(source)


def habermas(source: Path) -> None:
    path = source / "habermas" / "230118_chinchilla_questions.json"
    questions = json.loads(path.read_text(encoding="utf-8"))
    topics = seeded("habermas", sorted({q["topic"] for q in questions}), 8)
    per_topic: Counter[int] = Counter()
    kept = []
    for question in questions:
        if question["topic"] in topics and per_topic[question["topic"]] < 5:
            per_topic[question["topic"]] += 1
            kept.append(question)
    write(path_in_out(path, source), json.dumps(kept, indent=2, ensure_ascii=False) + "\n")


def csv_text(rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def polis(source: Path, name: str, *, comments: int | None, rejected: int, groups: dict[str, int]) -> None:
    """A consistent export: some participants of each Polis group, all their votes on the kept comments,
    and the counts of comments.csv, participants-votes.csv and summary.csv recomputed from those votes."""
    folder = source / "polis" / name
    comment_rows = list(csv.reader((folder / "comments.csv").open(encoding="utf-8", newline="")))
    header, body = comment_rows[0], comment_rows[1:]
    column = {field: header.index(field) for field in header}
    votes = raw_records(folder / "votes.csv", ",")
    vote_counts = Counter(fields[2] for _, fields in votes[1:])
    accepted = [r[column["comment-id"]] for r in body if r[column["moderated"]] != "-1"]
    refused = [r[column["comment-id"]] for r in body if r[column["moderated"]] == "-1"]
    if comments is None:
        kept = set(accepted) | set(refused)
    else:
        kept = set(sorted(accepted, key=lambda c: (-vote_counts[c], int(c)))[:comments])
        kept |= set(seeded(f"polis:{name}:rejected", sorted(refused, key=int), rejected))
    participants = list(csv.reader((folder / "participants-votes.csv").open(encoding="utf-8", newline="")))
    p_header = participants[0]
    seen = Counter(fields[3] for _, fields in votes[1:] if fields[2] in kept and fields[2] in set(accepted))
    chosen: set[str] = set()
    for group, count in groups.items():
        eligible = sorted(
            (row[0] for row in participants[1:] if row[1] == group and seen[row[0]] >= (8 if group else 1)),
            key=int,
        )
        chosen |= set(sorted(eligible, key=lambda p: -seen[p])[:count])
    kept_votes = [(raw, fields) for raw, fields in votes[1:] if fields[2] in kept and fields[3] in chosen]
    latest: dict[tuple[str, str], tuple[int, str]] = {}
    for _, fields in kept_votes:
        key = (fields[3], fields[2])
        if key not in latest or int(fields[0]) >= latest[key][0]:
            latest[key] = (int(fields[0]), fields[4])
    out = OUT / "polis" / name
    write(out / "votes.csv", votes[0][0] + "".join(raw for raw, _ in kept_votes))
    authored = Counter(r[column["author-id"]] for r in body if r[column["comment-id"]] in kept)
    kept_body = []
    for row in body:
        if row[column["comment-id"]] in kept:
            given = [v for (_, c), (_, v) in latest.items() if c == row[column["comment-id"]]]
            row = list(row)
            row[column["agrees"]], row[column["disagrees"]] = str(given.count("1")), str(given.count("-1"))
            kept_body.append(row)
    write(out / "comments.csv", csv_text([header, *kept_body]))
    comment_columns = [c for c in p_header[6:] if c in kept]
    p_rows = [p_header[:6] + comment_columns]
    for row in participants[1:]:
        if row[0] in chosen:
            cells = [latest.get((row[0], c), (0, ""))[1] for c in comment_columns]
            counts = [
                str(authored[row[0]]),
                str(sum(bool(v) for v in cells)),
                str(cells.count("1")),
                str(cells.count("-1")),
            ]
            p_rows.append([row[0], row[1], *counts, *cells])
    write(out / "participants-votes.csv", csv_text(p_rows))
    summary = list(csv.reader((folder / "summary.csv").open(encoding="utf-8", newline="")))
    figures = {
        "voters": len({p for p, _ in latest}),
        "voters-in-conv": len({p for p, _ in latest}),
        "commenters": len(authored),
        "comments": len(kept_body),
        "groups": len({row[1] for row in p_rows[1:] if row[1]}),
    }
    write(out / "summary.csv", csv_text([[k, str(figures.get(k, v))] for k, v, *_ in summary]))


def main(source: Path) -> None:
    source = script_data(source, option="SOURCE")
    for name in LICENCES:
        (OUT / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, OUT / name)
    steps: tuple[Callable[[Path], None], ...] = (
        paradetox,
        textdetox,
        davidson,
        civil_comments,
        germeval,
        conversations_gone_awry,
        habermas,
    )
    for step in steps:
        step(source)
    polis(source, "15-per-hour-seattle", comments=None, rejected=0, groups={"0": 18, "1": 9, "": 3})
    polis(source, "scoop-hivemind.biodiversity", comments=30, rejected=8, groups={"0": 6, "1": 12, "": 3})


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEVELOPMENT_DATA)
