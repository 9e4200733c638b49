"""`python bot.py --demo` shows a whole meeting cycle without a token or network, and exits 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PIL import Image

from mastermind.charts import chart_size

ROOT = Path(__file__).resolve().parents[1]


def test_the_demo_tells_the_whole_story(tmp_path):
    (tmp_path / "docs").mkdir()  # as in a checkout: the demo leaves the group's chart there
    finished = subprocess.run(
        [sys.executable, str(ROOT / "bot.py"), "--demo"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert finished.returncode == 0, finished.stderr
    out = finished.stdout
    expected_in_order = [
        "▸ Olivia (a host) runs /group create name:Founders",
        "(only Olivia sees) Added @Dee to Founders.",
        # The schedule is set in Berlin time and read in two zones.
        "Next meeting: Tue 6 Jan 18:00 Berlin / Tue 6 Jan 12:00 New York",
        "Founders meets Tue 6 Jan 18:00 Berlin / Tue 6 Jan 12:00 New York (in 1 day) in 🔊Founders.",
        "✅ I'll be there: @Ada",
        "⏱️ Running late: @Ben",
        "📞 @Ada @Ben @Cy @Dee",
        "[🔥 Start hot seat]",
        "🔥 Hot seat: @Ada",
        "(a form opens for Ada: “Goals for the next meeting”)",
        "⏳ Two minutes left on @Ada's turn.",
        "🏁 The hot-seat round is complete",
        "📌 pinned",
        "Absent: @Dee",
        "🧭 @Ada @Ben @Cy",
        "(only Ben sees) Your commitments in Founders: mark each one.",
        "Commitments from last meeting",
        "• ✅ Launch the beta",
        "@Ada: attendance 100% (2 of 2) · commitments kept 63% (4 checked) · streak 2",
        "@Dee: attendance 50% (1 of 2) · commitments kept 100% (1 checked) · streak 1",
        "Group: attendance 88% · commitments kept 79%",
        # Dee misses two meetings without a word: one check-in, by direct message, and the organizers hear of it.
        "direct message to @Dee · 🤖 Mastermind",
        "You've missed the last 2 meetings of Founders (on Indie Founders) without a word",
        "[👍 I'm in for the next one]  [⏸️ Pause me for a while]  [👋 Leave the group]",
        "#organizers · 🤖 Mastermind",
        "🧭 @Dee answered the check-in of Founders: Pause me for a while.",
        "Paused: @Dee",
        "🩺 Group health: 2 active groups, those needing attention first",
        "🚩 Writers: no schedule for 8 weeks",
        "Attendance: 4/4 3/4 3/4 3/3 → · commitments kept: 80% (last 4 meetings)",
        "At risk: @Dee (paused, 1 more)",
        "📎 attendance.png: Chart of Founders over the last 5 meetings",
        "(the chart is saved as docs/stats-chart.png)",
    ]
    position = 0
    for line in expected_in_order:
        found = out.find(line, position)
        assert found >= 0, f"missing, or out of order: {line!r}"
        position = found
    assert "Traceback" not in finished.stderr
    assert out.count("🧭 @Dee has missed") == 1  # one drift, one check-in
    with Image.open(tmp_path / "docs" / "stats-chart.png") as chart:
        assert chart.format == "PNG"
        assert chart.size == chart_size(4, 5)
