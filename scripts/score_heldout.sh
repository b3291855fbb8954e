#!/bin/sh
# Score marsad on the held-out gold set (eval/heldout, see docs/heldout.md).
#
#   scripts/score_heldout.sh [DIR] [extra score.py options, e.g. --per-article]
#
# Rebuilds the articles from ../shared/data into DIR (default /tmp/marsad-heldout;
# the corpus text is CC BY-NC-SA and never enters the repo), runs marsad on them
# and scores the records against eval/heldout/*.gold.json.
set -eu
cd "$(dirname "$0")/.."
DIR=${1:-/tmp/marsad-heldout}
[ $# -gt 0 ] && shift
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
MARSAD=.venv/bin/marsad
[ -x "$MARSAD" ] || MARSAD=marsad
"$PY" scripts/make_heldout.py --out "$DIR"
rm -rf "$DIR/pred"
"$MARSAD" extract "$DIR"/*.txt --out "$DIR/pred"
python3 ../shared/eval/score.py --gold eval/heldout --pred "$DIR/pred" "$@"
