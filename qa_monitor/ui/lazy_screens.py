"""The main window's screens by key, each built the first time it is needed.

Building all thirteen screens when the window opened took most of the start (12 of
15.7 s from source, matplotlib's import among them), for screens most sessions never
visit. So a screen is built when something asks for it: the navigation, a menu key, a
drill-down from another screen, or code and tests reading ``screens[key]``.

Reading a screen by key (also through ``values()``, ``items()`` or ``get``, which walk
every key) builds it: a test that walks every screen sees every screen. What must not
build screens (closing the window, refreshing after an import, asking about unsaved
work) uses ``built()`` and ``if_built(key)``: a screen not built yet has nothing to
save and reads everything fresh when it is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence

from PySide6.QtWidgets import QWidget


class LazyScreens(Mapping[str, QWidget]):
    def __init__(
        self,
        keys: Sequence[str],
        build: Callable[[str], QWidget],
        on_built: Callable[[str, QWidget], None],
    ):
        """``build(key)`` makes the screen; ``on_built(key, screen)`` runs once it is
        stored, so what it connects may look the screen up again without building it
        twice."""
        self._keys = tuple(keys)
        self._build = build
        self._on_built = on_built
        self._built: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        screen = self._built.get(key)
        if screen is None:
            if key not in self._keys:
                raise KeyError(key)
            screen = self._build(key)
            self._built[key] = screen
            self._on_built(key, screen)
        return screen

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def is_built(self, key: str) -> bool:
        return key in self._built

    def if_built(self, key: str) -> QWidget | None:
        """The screen if it was built, else None (never builds it)."""
        return self._built.get(key)

    def built(self) -> list[tuple[str, QWidget]]:
        """The screens built so far, in the navigation's order (never builds one)."""
        return [(key, self._built[key]) for key in self._keys if key in self._built]
