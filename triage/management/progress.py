"""A progress bar for long imports, shown only to a person watching a terminal."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm

Progress = Callable[[int, int], None]  # (done, total)


@contextmanager
def progress_bar(*, unit: str, enabled: bool = True) -> Iterator[Progress | None]:
    """A tqdm bar on stderr fed with (done, total); None when disabled (--json) or when
    stderr is not a terminal (a pipe, a log file, a test capturing output), where the
    bar's redraws would only be noise."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    with tqdm(total=0, unit=unit, file=sys.stderr, dynamic_ncols=True) as bar:

        def update(done: int, total: int) -> None:
            if bar.total != total:
                bar.total = total
                bar.refresh()
            bar.update(done - bar.n)

        yield update
