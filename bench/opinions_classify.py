"""Time topic classification: ``--texts`` opinions through the classifier, on one core.

    .venv/bin/python bench/opinions_classify.py --texts 100000

Fits the model on the shipped labelled set (no database needed), makes ``--texts`` opinions by
recombining the shipped texts with openings and closings people use, pins the process to one
CPU (and BLAS to one thread), and times ``opinions.classify.label_texts`` in batches of 2,000,
the way ``warmhome opinions classify FILE`` runs. Prints texts/s and the load average (the
machine may be shared: the figure is only as good as the load is low).
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

OPENINGS = ("", "我想反映一下，", "社区居民反映：", "走访中了解到，", "您好，")
CLOSINGS = ("", "希望尽快解决。", "谢谢！", "请妇联帮忙协调。")
BATCH = 2000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=100_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from warmhome.opinions import classify, training

    samples = training.load_shipped()
    started = time.perf_counter()
    model = training.fit_all(samples)
    fitted = time.perf_counter() - started
    rng = random.Random(3)
    texts = [
        f"{rng.choice(OPENINGS)}{rng.choice(samples).text}{rng.choice(CLOSINGS)}"
        for _number in range(args.texts)
    ]
    mean_length = sum(len(text) for text in texts) / len(texts)
    classify.tokenize("预热")
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), BATCH):
        classify.label_texts(texts[start : start + BATCH], model=model)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    # CPU seconds count only the time the core was ours: on a shared machine the wall-clock
    # rate understates what one core does, the CPU-time rate is what one idle core would do.
    print(
        f"fitted on {len(samples)} samples in {fitted:.1f} s; classified {len(texts)} texts "
        f"(mean {mean_length:.0f} characters) on one core: wall {seconds:.1f} s = "
        f"{len(texts) / seconds:,.0f} texts/s; CPU {cpu:.1f} s = {len(texts) / cpu:,.0f} texts/s "
        f"per CPU-second; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warmhome.settings")
    main()
