"""What a browser test asserts never happened on a page: script errors, CSP refusals, failed requests."""

from __future__ import annotations

from playwright.sync_api import Page


def watch_for_problems(page: Page) -> list[str]:
    """Start listening on ``page``; the returned list fills as problems happen (the browser's favicon is not one).

    A failed load is counted by its response, which names the address; the console's "Failed to load
    resource" line says the same without it.
    """
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and "favicon" not in response.url
            and problems.append(f"{response.status} {response.url}")
        ),
    )
    return problems
