"""Peak RSS of reading the 100,000-row and 10,000-merge workbooks, refused by the guard and (for contrast) let through."""

from __future__ import annotations

import json
import subprocess
import sys

CASES = {
    "100k-rows": "with_sheet(sheet_xml(number_rows(100_000)))",
    "10k-merges": "with_sheet(sheet_xml(number_rows(3), [f'A{r}:B{r}' for r in range(1, 10_001)]))",
}
LIMITS = {"guarded": "Limits()", "unguarded": "Limits(max_rows=10**7, max_cells=10**8, max_merges=10**6, max_merged_cells=10**9)"}
CHILD = """
import resource, time, json
from parsers import Limits, read_attachment
from tests.support.hostile_files import with_sheet, sheet_xml, number_rows
from tests.routing.test_parse_build import campaign
camp = campaign()
data = {case}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
result = read_attachment(data, "x.xlsx", camp, limits={limits})
print(json.dumps({{"size_kb": len(data) // 1024, "base_mb": base / 1024, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "seconds": round(time.perf_counter() - start, 2), "codes": [p.code for p in result.problems]}}))
"""


def main() -> None:
    """Run each case in a fresh interpreter (ru_maxrss never goes down) and print one line each."""
    for case, build in CASES.items():
        for mode, limits in LIMITS.items():
            out = subprocess.run([sys.executable, "-c", CHILD.format(case=build, limits=limits)], capture_output=True, text=True, check=True)
            figures = json.loads(out.stdout)
            print(f"{case:11} {mode:9} file={figures['size_kb']}KB baseline={figures['base_mb']:.0f}MB "
                  f"peak={figures['peak_mb']:.0f}MB time={figures['seconds']}s problems={figures['codes']}")


if __name__ == "__main__":
    main()
