#!/bin/sh
# Score marsad on a held-out gold set (eval/heldout, see docs/heldout.md and docs/heldout2.md).
#
#   scripts/score_heldout.sh [DIR] [extra score.py options, e.g. --per-article]
#   GOLD=eval/heldout2 scripts/score_heldout.sh /tmp/h2   # the second held-out set
#
# Rebuilds the articles listed in $GOLD/articles.tsv from ../shared/data into DIR
# (default /tmp/marsad-heldout; the corpus text is CC BY-NC-SA and never enters the
# repo), runs marsad on them and scores the records against $GOLD/*.gold.json.
# GOLD defaults to eval/heldout.
set -eu
cd "$(dirname "$0")/.."
GOLD=${GOLD:-eval/heldout}
DIR=${1:-${TMPDIR:-/tmp}/marsad-heldout}
[ $# -gt 0 ] && shift
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
MARSAD=.venv/bin/marsad
[ -x "$MARSAD" ] || MARSAD=marsad
"$PY" scripts/make_heldout.py --list "$GOLD/articles.tsv" --out "$DIR"
rm -rf "$DIR/pred"
"$MARSAD" extract "$DIR"/*.txt --out "$DIR/pred"
python3 ../shared/eval/score.py --gold "$GOLD" --pred "$DIR/pred" "$@"
