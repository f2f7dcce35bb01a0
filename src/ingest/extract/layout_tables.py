"""Tables that lay out a page, read as the paragraphs they hold.

Older templates (and some still served today) put the whole page in a table: one cell holds
the headline, the byline, the date, the caption and every paragraph of the story. trafilatura
keeps such a table as a table, and its text output writes a table row on one line: the story
comes out as a single line that starts with "| | |" and runs from the headline through the
photo credit to the last paragraph. Nothing line-based can then tell the byline from the
story, and the paragraphs are gone.

A data table's cells hold a value or a sentence each. A cell that holds two or more blocks of
its own (paragraphs, headings, lists, quotes, with words in them) is a column of a page, not a
value, and a table of one cell is a frame. Such a table is unwrapped in trafilatura's result
tree: its cells' blocks take its place in order, and the loose text between them becomes
paragraphs. A row or cell that trafilatura left without its table counts as a table. Tables
inside are judged on their own, innermost first. Extraction unwraps after its link cuts have judged each table
whole (a table of links goes as one block), then runs those cuts and the headline search
again on the blocks the unwrapping freed.
"""

from __future__ import annotations

from lxml import etree

#: trafilatura's block elements: one line of text each.
BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code"})
#: A cell holding this many blocks is a column of the page.
LAYOUT_CELL_BLOCKS = 2


def unwrap_layout_tables(body: etree._Element) -> int:
    """Replace each layout table in `body` (trafilatura's result tree) by the blocks and text
    of its cells, in place; return how many were unwrapped."""
    unwrapped = 0
    grids = [element for element in body.iter("table", "row", "cell") if _is_grid(element)]
    for grid in reversed(grids):  # innermost first
        if grid.getparent() is not None and _is_layout(grid):
            _unwrap(grid)
            unwrapped += 1
    return unwrapped


def _is_grid(element: etree._Element) -> bool:
    """A table, or a row or cell that trafilatura left without its table (a page whose body
    element was the table, or its row)."""
    if element.tag == "table":
        return True
    above = ("table",) if element.tag == "row" else ("table", "row")
    return next(element.iterancestors(*above), None) is None


def _own_cells(grid: etree._Element) -> list[etree._Element]:
    """The grid's cells, not those of a table inside one of them."""
    if grid.tag == "cell":
        return [grid]
    return [cell for cell in grid.iter("cell") if _grid_of(cell) is grid]


def _grid_of(cell: etree._Element) -> etree._Element:
    return next((a for a in cell.iterancestors("table", "row") if _is_grid(a)), cell)


def _is_layout(grid: etree._Element) -> bool:
    """A grid of one cell is a frame, not a table of values; a grid with a cell holding two
    blocks or more is a page's columns."""
    cells = _own_cells(grid)
    return len(cells) == 1 or any(
        sum(child.tag in BLOCK_TAGS and _has_words(child) for child in cell) >= LAYOUT_CELL_BLOCKS
        for cell in cells
    )


def _has_words(element: etree._Element) -> bool:
    """Whether the block holds a letter or digit: a paragraph of a lone bullet ("·") is the
    marker of a list item, not a block of the page."""
    return any(char.isalnum() for char in "".join(element.itertext()))


def _unwrap(grid: etree._Element) -> None:
    parent = grid.getparent()
    index = parent.index(grid)
    pieces: list[etree._Element] = []
    for cell in _own_cells(grid):
        pieces.extend(_cell_blocks(cell))
    tail = grid.tail
    parent.remove(grid)
    for offset, piece in enumerate(pieces):
        parent.insert(index + offset, piece)
    if tail and tail.strip():
        paragraph = etree.Element("p")
        paragraph.text = tail
        parent.insert(index + len(pieces), paragraph)


def _cell_blocks(cell: etree._Element) -> list[etree._Element]:
    """The cell's content as blocks: its block children as they are, each run of loose text
    and inline elements between them wrapped in a paragraph."""
    blocks: list[etree._Element] = []
    run = etree.Element("p")
    run.text = cell.text

    def close_run() -> None:
        nonlocal run
        if "".join(run.itertext()).strip():  # the inline elements' tails included
            blocks.append(run)
        run = etree.Element("p")

    for child in list(cell):
        if child.tag in BLOCK_TAGS:
            close_run()
            tail, child.tail = child.tail, None
            blocks.append(child)
            run.text = tail
        else:
            run.append(child)  # moves the inline element, its tail with it
    close_run()
    return blocks
