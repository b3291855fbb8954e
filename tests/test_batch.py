from marsad.batch import Item, process_items
from marsad.core import Article

TEXT = "قتل {n} جنود في هجوم على حاجز للجيش قرب الرمادي."


def test_worker_pool_keeps_input_order_and_failures():
    items = [Item(f"i{n}", article=Article(text=TEXT.format(n=n))) if n % 7 else Item(f"i{n}") for n in range(1, 60)]
    serial = [r.origin for r in process_items(items, workers=1)]
    pooled = list(process_items(iter(items), workers=2))
    assert [r.origin for r in pooled] == serial == [f"i{n}" for n in range(1, 60)]
    assert all((r.article is None) == (int(r.origin[1:]) % 7 == 0) for r in pooled)
