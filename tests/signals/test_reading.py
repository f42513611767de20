"""One reading of a message: NFKC, invisible format characters dropped, offsets back into the original."""

from __future__ import annotations

from commonground.signals.incivility.encoder import MAX_WINDOWS, WINDOW_CHARS, windows
from commonground.signals.incivility.text import model_text
from commonground.signals.reading import read


def test_plain_ascii_is_read_as_it_is() -> None:
    reading = read("you are kind")
    assert (reading.text, reading.offsets, reading.original_span(4, 7)) == ("you are kind", None, (4, 7))


def test_bidi_overrides_and_zero_width_characters_are_dropped_with_offsets_kept() -> None:
    text = "\u202eyou are an id\u200biot\ufeff"
    reading = read(text)
    assert reading.text == "you are an idiot"
    start, end = reading.original_span(reading.text.index("idiot"), len(reading.text))
    assert text[start:end] == "id\u200biot"


def test_compatibility_forms_become_plain_letters() -> None:
    assert read("ｙｏｕ ａｒｅ 𝐬𝐭𝐮𝐩𝐢𝐝 ﬁne").text == "you are stupid fine"


def test_the_encoder_reads_shouting_leetspeak_and_spacing_as_plain_words() -> None:
    assert model_text("Y O U are an 1D10T!!!") == "you are an idiot!!!"
    assert model_text("SHUT UP, you s t u p i d clown") == "shut up, you stupid clown"
    assert model_text("<b>hi</b>\x00 there https://example.org") == "hi there"


def test_long_messages_are_cut_into_sentence_windows_without_repeats() -> None:
    sentence = "The committee met on Tuesday to discuss the budget for the new library building."
    parts = windows(" ".join(f"Item {i}: {sentence}" for i in range(100)))
    assert all(len(p) <= WINDOW_CHARS for p in parts) and len(parts) == MAX_WINDOWS
    assert windows("Thanks! " * 50) == ["thanks!"]
    assert windows("word " * 200)[0].startswith("word word")
    assert windows("") == []
