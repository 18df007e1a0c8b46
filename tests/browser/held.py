"""Requests a browser test holds back to put answers in the order a loaded machine gives them."""
from __future__ import annotations


def hold(page, held: dict, name: str, matches) -> None:
    """Requests whose URL ``matches`` wait in ``held[name]`` until the test lets them go."""
    page.route(matches, lambda route: held.setdefault(name, route))


def wait_held(page, held: dict, name: str) -> None:
    for _ in range(200):
        if name in held:
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"no {name} request was sent")


def pick_while_a_list_comes(page, results: str, list_url: str, pick_url: str) -> None:
    """A live search shows the list for "miny"; "ak" is typed and its list held back; the first
    hit of "miny"'s list is clicked and the pick held back; the list for "minyak" answers, then
    the pick does: the order in which the list was drawn over the clicked hit."""
    page.keyboard.press("F2")
    page.keyboard.type("miny", delay=20)
    page.locator(f'{results} [data-query="miny"] .result').first.wait_for()
    held: dict = {}
    hold(page, held, "list", lambda url: list_url in url and "q=minyak" in url)
    hold(page, held, "pick", lambda url: pick_url in url)
    page.keyboard.type("ak", delay=20)
    wait_held(page, held, "list")
    page.locator(f"{results} .result").first.click()
    wait_held(page, held, "pick")
    held["list"].continue_()
    page.wait_for_timeout(300)                      # the list for "minyak" has answered
    held["pick"].continue_()
