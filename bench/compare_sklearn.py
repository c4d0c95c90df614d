#!/usr/bin/env python3
"""Compare Rocketmat's Rust model with scikit-learn on the same synthetic company, in one run.

Dev-only (not run in CI). It
1. runs the Rust exporter (`cargo bench -p rocketmat-core --bench sklearn_export`), which
   builds a synthetic company history, fits the feature pipeline and the logistic scorer on the
   older 80 %, scores the newer 20 %, times each step, and writes the feature matrices, labels
   and the job/candidate texts as CSV plus its figures as JSON;
2. fits scikit-learn on the same rows: TfidfVectorizer for the text-similarity feature
   (replacing Rust's TF-IDF cosine column), StandardScaler and LogisticRegression;
3. prints fit and score times, their ratios and the ROC AUC difference.

Setup:  python3 -m venv bench/.venv && bench/.venv/bin/pip install scikit-learn pandas
Run:    bench/.venv/bin/python bench/compare_sklearn.py [--rows 100000] [--skip-rust]
"""

import argparse
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

TFIDF_COLUMN = "tfidf_cosine.cosine"
TEXT_COLUMNS = ["label", "job_text", "candidate_text"]


def run_rust(out: Path, rows: int) -> dict:
    env = dict(os.environ, ROCKETMAT_EXPORT_DIR=str(out), ROCKETMAT_EXPORT_ROWS=str(rows))
    subprocess.run(
        ["cargo", "bench", "-p", "rocketmat-core", "--bench", "sklearn_export"],
        check=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads((out / "rust.json").read_text())


def text_cosine(vec: TfidfVectorizer, jobs: pd.Series, candidates: pd.Series) -> np.ndarray:
    # Rows of TfidfVectorizer output are L2-normalised, so the row-wise dot is the cosine.
    j = vec.transform(jobs.fillna(""))
    c = vec.transform(candidates.fillna(""))
    return np.asarray(j.multiply(c).sum(axis=1)).ravel()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000, help="applications to generate")
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "rocketmat-sklearn")
    ap.add_argument("--skip-rust", action="store_true", help="reuse an earlier export")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    rust = json.loads((args.out / "rust.json").read_text()) if args.skip_rust else run_rust(args.out, args.rows)
    train = pd.read_csv(args.out / "train.csv")
    test = pd.read_csv(args.out / "test.csv")
    features = [c for c in train.columns if c not in TEXT_COLUMNS]
    y_train, y_test = train["label"].to_numpy(), test["label"].to_numpy()

    # scikit-learn, text feature included: fit.
    t0 = time.perf_counter()
    vec = TfidfVectorizer(sublinear_tf=True)
    docs = pd.concat([train["job_text"].drop_duplicates(), train["candidate_text"]]).fillna("")
    vec.fit(docs)
    x_train = train[features].to_numpy(copy=True)
    col = features.index(TFIDF_COLUMN)
    x_train[:, col] = text_cosine(vec, train["job_text"], train["candidate_text"])
    t_text_fit = time.perf_counter() - t0
    scaler = StandardScaler().fit(x_train)
    model = LogisticRegression(C=1.0, max_iter=200).fit(scaler.transform(x_train), y_train)
    t_fit = time.perf_counter() - t0

    # scikit-learn: score.
    t0 = time.perf_counter()
    x_test = test[features].to_numpy(copy=True)
    x_test[:, col] = text_cosine(vec, test["job_text"], test["candidate_text"])
    p = model.predict_proba(scaler.transform(x_test))[:, 1]
    t_score = time.perf_counter() - t0
    auc = roc_auc_score(y_test, p)

    # scikit-learn's logistic regression on Rust's exact feature matrix: isolates the solver.
    xr_train, xr_test = train[features].to_numpy(), test[features].to_numpy()
    t0 = time.perf_counter()
    sc = StandardScaler().fit(xr_train)
    lr = LogisticRegression(C=1.0, max_iter=200).fit(sc.transform(xr_train), y_train)
    t_lr_fit = time.perf_counter() - t0
    auc_same = roc_auc_score(y_test, lr.predict_proba(sc.transform(xr_test))[:, 1])

    rust_fit = rust["pipeline_fit_s"] + rust["logistic_fit_s"]
    rust_fit_single = rust["pipeline_fit_s"] + rust["logistic_single_alpha_fit_s"]
    print(f"rows: train {int(rust['train_rows'])}, test {int(rust['test_rows'])}, features {len(features)}")
    print()
    print(f"{'':38}{'Rust':>10}{'sklearn':>10}{'ratio':>8}")
    print(f"{'fit (pipeline + LR, alpha search)':38}{rust_fit:>10.3f}{t_fit:>10.3f}{t_fit / rust_fit:>8.2f}")
    print(f"{'fit (pipeline + LR, one alpha)':38}{rust_fit_single:>10.3f}{t_fit:>10.3f}{t_fit / rust_fit_single:>8.2f}")
    print(f"{'  of which text feature fit':38}{rust['pipeline_fit_s']:>10.3f}{t_text_fit:>10.3f}{t_text_fit / rust['pipeline_fit_s']:>8.2f}")
    print(f"{'  LR alone on identical features':38}{rust['logistic_single_alpha_fit_s']:>10.3f}{t_lr_fit:>10.3f}{t_lr_fit / rust['logistic_single_alpha_fit_s']:>8.2f}")
    print(f"{'score (features + LR)':38}{rust['score_s']:>10.3f}{t_score:>10.3f}{t_score / rust['score_s']:>8.2f}")
    print("(times in seconds; ratio = sklearn / Rust, above 1 means Rust is faster)")
    print()
    print(f"ROC AUC  Rust {rust['auc']:.4f} (alpha {rust['chosen_alpha']:g}), one alpha {rust['auc_single_alpha']:.4f}")
    print(f"         sklearn with its TF-IDF {auc:.4f}; sklearn on Rust's features {auc_same:.4f}")
    print(f"         difference Rust - sklearn: {rust['auc'] - auc:+.4f} (own text), {rust['auc'] - auc_same:+.4f} (same features)")
    print(f"         TF-IDF cosine alone (Rust) {rust['tfidf_auc']:.4f}; random forest (Rust, "
          f"{int(rust['forest_train_rows'])} rows) {rust['forest_auc']:.4f}")


if __name__ == "__main__":
    main()
