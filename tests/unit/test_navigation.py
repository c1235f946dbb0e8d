"""Navigation chunks (contents, indexes, link lists, legal notices) are told from content."""

from __future__ import annotations

import pytest

from core.store.navigation import is_navigation

PDF_CONTENTS = """1 Definitions and overview 1

1.5 What is the difference between Debian GNU/Linux and other Linux distributions? Why

2 Getting and installing Debian GNU/Linux 5

2.2 Are there package upgrades in stable'? . . . . . . . . . . . . . . . . . 5

2.5 Why does the official stable released CD-ROM contain symlinks? . . . . . . 6

3 Choosing a Debian distribution 7"""

HTML_CONTENTS_RU = """Содержание

1.1. О чём данные ЧаВо?

1.2. Что такое Debian GNU/Linux?

1.3. Я понял, что такое Debian, а что такое Linux?!

1.4. Debian работает только с GNU/Linux?"""

HTML_CONTENTS_UNTITLED = """3.1.5. Could you tell me whether to install stable, testing or unstable?

3.1.6. You are talking about testing being broken. What do you mean by that?

3.1.7. Why is it that testing could be broken for months?

3.1.8. From an administrator's point of view, which distribution requires more attention?"""

BOOK_INDEX = (
    "P packages apt, 37 apt-doc, 36 , 37 apt-file, 39 apt-move, 42 aptitude-doc, 38 "
    "binutils, 27 build-essential, 18 daemontools, 19 , 49 dbndns, 19 debian-faq, 63 "
    "doc-debian, 54 , 56 dpkg-dev, 33 ekiga, 20 fakeroot, 33 file-rc, 49 gcc, 27"
)

LEGAL = (
    "The Debian GNU/Linux FAQ Published January 2021 Copyright © 1996-2021 Software in the "
    "Public Interest Permission is granted to make and distribute verbatim copies of this "
    "document provided the copyright notice and this permission notice are preserved."
)

LINKS = "\n\n".join(
    ["Contact Us", "Partner with Us", "Donate", "Firefox", "Privacy", "Cookies", "Legal", "About"]
)

PROCEDURE = """1. Open the Settings window from the Tools menu.

2. Choose the Network page and press Add.

3. Type the server's address and its port.

4. Press Save and restart the application."""

PARAGRAPH = (
    "Debian GNU/Linux is a particular distribution of the Linux operating system, and "
    "numerous packages that run on it. Users can select which packages to install; Debian "
    "provides a tool for this purpose. The archives are updated twice every day."
)

TABLE = "\n".join(
    [
        "Item | Price",
        "Tea | 3",
        "Milk | 2",
        "Bread | 4",
        "Eggs | 5",
        "Jam | 6",
        "Oil | 7",
        "Salt | 1",
    ]
)

SHORT_LIST = """To build packages you need:

- gcc
- make
- the libc headers

Install them with apt before you start; the build fails without them."""


@pytest.mark.parametrize(
    "text",
    [
        PDF_CONTENTS,
        HTML_CONTENTS_RU,
        HTML_CONTENTS_UNTITLED,
        BOOK_INDEX,
        LEGAL,
        LINKS,
        "Next",
        "Prev | Up | Home | Next",
        "Назад | Далее",
        " |  | Chapter 1. Definitions and overview",
    ],
    ids=[
        "pdf-contents",
        "contents-ru",
        "contents-untitled",
        "index",
        "legal",
        "links",
        "next",
        "pager",
        "pager-ru",
        "layout-cells",
    ],
)
def test_navigation_is_recognised(text: str) -> None:
    assert is_navigation(text)


@pytest.mark.parametrize(
    "text",
    [PROCEDURE, PARAGRAPH, TABLE, SHORT_LIST, "", "1.1 Scope", "Next year the rent rises."],
    ids=["procedure", "paragraph", "table", "short-list", "empty", "one-heading", "next-word"],
)
def test_content_is_not_navigation(text: str) -> None:
    assert not is_navigation(text)


def test_one_copyright_line_in_a_paragraph_is_content() -> None:
    assert not is_navigation(PARAGRAPH + " Copyright © 2021 Example Ltd.")
