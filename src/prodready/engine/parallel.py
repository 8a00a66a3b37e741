"""Analysing files in worker processes when there are enough of them to pay for it.

Per-file analysis is pure and its result plain data, so files are split into chunks and
analysed on every core; the trees stay in the workers (pickling them back would cost about
as much as parsing) and are re-parsed on demand for project rules that ask for them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

from prodready.domain.finding import Note
from prodready.engine.analyse import FileAnalysis, analyse_bytes, analyse_file
from prodready.engine.cache import FileCache
from prodready.engine.discover import SourceRef
from prodready.engine.dispatch import DispatchTable
from prodready.engine.source import read_bytes
from prodready.rules.registry import default_catalogue

Progress = Callable[[int, int], None]
FILES_PER_CHUNK = 64
MIN_FILES_FOR_WORKERS = 200


@dataclass(frozen=True, slots=True)
class FileJob:
    ref: SourceRef
    module: str
    is_package: bool


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _analyse(job: FileJob, table: DispatchTable, cache: FileCache | None) -> FileAnalysis:
    """One file, through the cache when there is one."""
    if cache is None:
        return analyse_file(job.ref, job.module, job.is_package, table)
    data = read_bytes(job.ref.absolute, job.ref.relative)
    if isinstance(data, Note):
        return FileAnalysis(job.ref.relative, 0, notes=(data,))
    key = cache.key(data, job.ref.relative, job.module, job.is_package)
    cached = cache.load(key)
    if cached is not None:
        return cached
    analysis = analyse_bytes(job.ref, data, job.module, job.is_package, table)
    cache.store(key, analysis)
    return analysis


def _analyse_chunk(
    table: DispatchTable, cache: FileCache | None, jobs: Sequence[FileJob]
) -> list[FileAnalysis]:
    """Worker side: analyse a chunk and drop the trees before sending results back."""
    return [replace(_analyse(job, table, cache), parsed=None) for job in jobs]


def _sequential(
    jobs: Sequence[FileJob],
    table: DispatchTable,
    cache: FileCache | None,
    progress: Progress | None,
) -> list[FileAnalysis]:
    results: list[FileAnalysis] = []
    for index, job in enumerate(jobs):
        results.append(_analyse(job, table, cache))
        if progress is not None:
            progress(index + 1, len(jobs))
    return results


def _picklable(table: DispatchTable) -> bool:
    """True when every rule is one of the catalogue's (rules travel to workers by id);
    rules made elsewhere (tests, plug-ins not in the catalogue) keep the review in-process."""
    catalogue = default_catalogue()
    rules = {id(rule): rule for group in table.by_type.values() for rule in group}
    return all(catalogue.find_rule(rule.meta.id) is rule for rule in rules.values())


def analyse_all(
    jobs: Sequence[FileJob],
    table: DispatchTable,
    workers: int,
    progress: Progress | None = None,
    cache: FileCache | None = None,
) -> list[FileAnalysis]:
    """Analyse every job, in order; in worker processes when there are enough files."""
    if workers <= 1 or len(jobs) < MIN_FILES_FOR_WORKERS or not _picklable(table):
        return _sequential(jobs, table, cache, progress)
    chunks = [jobs[i : i + FILES_PER_CHUNK] for i in range(0, len(jobs), FILES_PER_CHUNK)]
    results: list[list[FileAnalysis]] = [[] for _ in chunks]
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {
                pool.submit(_analyse_chunk, table, cache, chunk): i
                for i, chunk in enumerate(chunks)
            }
            for future in as_completed(futures):
                index = futures[future]
                results[index] = future.result()
                done += len(chunks[index])
                if progress is not None:
                    progress(done, len(jobs))
    except (BrokenProcessPool, OSError):
        return _sequential(jobs, table, cache, progress)
    return [analysis for chunk in results for analysis in chunk]
