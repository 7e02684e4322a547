"""Saving a load in batches while the workers read: batches shrink towards the end, small ones are saved only
while the workers are still reading, and the pool says whether the next result is in."""

from __future__ import annotations

import time


def test_save_batches_shrink_towards_the_end_of_a_load():
    from grantstats.ingest import tail_batch

    def batches(n_files: int, batch_files: int) -> list[int]:
        sizes, pending = [], 0
        for done in range(1, n_files + 1):
            pending += 1
            if pending >= tail_batch(batch_files, n_files - done):
                sizes.append(pending)
                pending = 0
        return sizes + ([pending] if pending else [])

    # 100 files: 33 once 67 are left (67 // 2 = 33), 22 once 45 are left, then 16 at least, and the last 13
    assert batches(100, 250) == [33, 22, 16, 16, 13]
    assert batches(1000, 250) == [250, 250, 167, 111, 74, 49, 33, 22, 16, 16, 12]
    assert batches(5, 2) == [2, 2, 1]  # a batch size below the floor is kept


def test_small_batches_are_saved_only_while_the_workers_are_still_reading():
    from grantstats.ingest import save_now

    def batches(n_files: int, batch_files: int, ready_from: int) -> list[int]:
        """Sizes saved when the workers have read every file by the time file `ready_from` is taken."""
        sizes, pending = [], 0
        for done in range(1, n_files + 1):
            pending += 1
            if save_now(pending, batch_files, n_files - done, next_ready=done >= ready_from):
                sizes.append(pending)
                pending = 0
        return sizes + ([pending] if pending else [])

    # the workers never ahead: the shrinking tail batches of tail_batch, as above
    assert batches(1000, 250, ready_from=10**9) == [250, 250, 167, 111, 74, 49, 33, 22, 16, 16, 12]
    # every file read by the time the 600th is taken: full batches of what is waiting, the rest in one
    assert batches(1000, 250, ready_from=600) == [250, 250, 250, 250]
    # read by the 850th: the tail batches up to there (167 at 667, 111 at 778), then all 222 left at once
    assert batches(1000, 250, ready_from=850) == [250, 250, 167, 111, 222]


def test_next_ready_says_whether_taking_the_next_result_waits_for_a_worker(tmp_path):
    from grantstats.worker import ParsePool

    paths = []
    for i in range(6):
        rows = 2000 if i == 3 else 1  # the second chunk (files 3-5) takes the worker a while
        path = tmp_path / f"r{i}.csv"
        path.write_text("Грантополучатель;Наименование проекта;Регион;Сумма гранта\n" + "".join(
            f"ОО «А{i}-{k}»;Проект {k};Шымкент;{100 + k}\n" for k in range(rows)), encoding="utf-8")
        paths.append(path)
    seen = []
    with ParsePool(workers=1, chunk_size=3) as pool:
        for k, _ in enumerate(pool.parse_many(paths)):
            seen.append(pool.next_ready())
            if k == 2:  # the second chunk is with the worker: its first result is ready once the chunk is back
                deadline = time.monotonic() + 30
                while not pool.next_ready() and time.monotonic() < deadline:
                    time.sleep(0.01)
                assert pool.next_ready()
    assert seen[:3] == [True, True, False]  # the rest of the first chunk came back with it; the next did not
    assert seen[-1]  # nothing left to wait for
    with ParsePool(workers=0) as pool:
        assert all(pool.next_ready() for _ in pool.parse_many(paths))


def test_files_started_before_the_load_opens_its_database_are_read_once_and_in_order(tmp_path):
    from grantstats.worker import ParsePool

    paths = []
    for i in range(7):
        path = tmp_path / f"r{i}.csv"
        path.write_text("Грантополучатель;Наименование проекта;Регион;Сумма гранта\n"
                        f"ОО «Старт {i}»;Проект {i};Шымкент;{1000 + i}\n", encoding="utf-8")
        paths.append(path)
    with ParsePool(workers=1, chunk_size=2) as pool:
        pool.start(paths)
        _, _, sent = pool._started
        assert [chunk for chunk, _ in sent] == [[0, 1], [2, 3], [4, 5]]  # three chunks a worker: the window
        deadline = time.monotonic() + 60
        while not all(future.done() for _, future in sent) and time.monotonic() < deadline:
            time.sleep(0.01)
        for path in paths[:6]:  # read already, before parse_many is asked: their results must come from then
            path.unlink()
        outcomes = list(pool.parse_many(paths))
        assert [p for p, _ in outcomes] == paths
        assert [reports[0].grantee for _, (_, reports) in outcomes] == [f"ОО «Старт {i}»" for i in range(7)]
        assert [reports[0].grant_amount.value for _, (_, reports) in outcomes] == [1000 + i for i in range(7)]
        # a later parse_many over other files is not handed what start() sent
        again = list(pool.parse_many([paths[6]]))
        assert again[0][1][1][0].grantee == "ОО «Старт 6»"
