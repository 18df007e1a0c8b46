"""How screens show a date: dd-mm-yyyy (a time with it), in one span a line never breaks."""
from __future__ import annotations

from datetime import date, datetime

from pos.dates import shown


def test_a_date_a_datetime_and_none():
    assert shown(date(2026, 11, 22)) == '<span class="date">22-11-2026</span>'
    assert shown(datetime(2026, 11, 22, 7, 5)) == '<span class="date">22-11-2026 07:05</span>'
    assert shown(None) == ""


def test_the_filter_and_local_time_write_it_so(app):
    with app.test_request_context():
        page = app.jinja_env.from_string(
            "{{ day|day }} · {{ local_time(at) }} · {{ local_time(at, clock=True) }}").render(
            day=date(2026, 11, 22), at=datetime(2026, 11, 21, 23, 30))   # UTC: 07:30 WITA
    assert page == ('<span class="date">22-11-2026</span> · '
                    '<span class="date">22-11-2026 07:30</span> · 07:30')


def test_dates_in_words_are_kept_whole_and_the_words_escaped():
    from pos.dates import kept_whole
    assert str(kept_whole("Kedaluwarsa 13-11-2026")) == 'Kedaluwarsa <span class="date">13-11-2026</span>'
    assert str(kept_whole("<b>x</b> mulai 01-01-2025; 1-1-2025 & 2025-01-01")) == (
        '&lt;b&gt;x&lt;/b&gt; mulai <span class="date">01-01-2025</span>; 1-1-2025 &amp; 2025-01-01')
    assert str(kept_whole(None)) == "" and str(kept_whole("123-45-67890")) == "123-45-67890"


def test_a_typed_text_keeps_its_words_and_marks_a_pasted_run_that_may_break_anywhere():
    from pos.dates import typed
    assert str(typed("Kedaluwarsa 17-11-2026")) == 'Kedaluwarsa <span class="date">17-11-2026</span>'
    long = "Uangdiambiluntukmembeli<kantong>&lakban"
    assert str(typed(f"rusak {long} 01-01-2025 x")) == (
        'rusak <span class="long-word">Uangdiambiluntukmembeli&lt;kantong&gt;&amp;lakban</span> '
        '<span class="date">01-01-2025</span> x')
    assert str(typed("a" * 20)) == "a" * 20                        # a word of 20: kept whole
    assert str(typed(None)) == "" and str(typed("memperhitungkannya")) == "memperhitungkannya"
