"""The shared list footer: page position, and links that keep the list's filters."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string


def _render(page_number: int, query_string: str = "") -> str:
    paginator = Paginator(list(range(120)), 50)
    page = paginator.page(page_number)
    return render_to_string(
        "includes/pagination.html",
        {
            "is_paginated": True,
            "page_obj": page,
            "paginator": paginator,
            "query_string": query_string,
        },
    )


def test_middle_page_links_both_ways_and_keeps_the_filters():
    html = _render(2, "q=%E5%BC%A0")

    assert "共 120 条，第 2 页，共 3 页" in html
    assert 'href="?q=%E5%BC%A0&amp;page=1"' in html
    assert 'href="?q=%E5%BC%A0&amp;page=3"' in html


def test_first_page_has_no_previous_link():
    html = _render(1)

    assert "上一页" not in html
    assert 'href="?page=2"' in html


def test_an_unpaginated_list_has_no_footer():
    assert render_to_string("includes/pagination.html", {"is_paginated": False}).strip() == ""
