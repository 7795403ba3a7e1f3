"""The page's frame: an app bar (menu button, title, dark-mode switch), a sidebar that can be closed, the main area.

Solara's own AppLayout keeps a sidebar at least 400 px wide (on a 390-px phone it covers the page) and its
icon buttons have no accessible name. Here the sidebar is Vuetify's navigation drawer at most 90% of the
screen: beside the page on a wide screen, over it (closable, also by a tap outside it) on a narrow one,
which Vuetify decides when the page loads; every icon button is named.
"""

from __future__ import annotations

import reacton.ipyvuetify as v
import solara
from solara.lab import theme

SIDEBAR_WIDTH = 360
MOBILE_BELOW = 960  # px: the drawer lies over the page below this width


def icon_button(icon: str, name: str, on_click, **kwargs):
    """An icon button with an accessible name (its label for screen readers and its tooltip)."""
    btn = v.Btn(
        icon=True,
        children=[v.Icon(children=[icon])],
        attributes={"aria-label": name, "title": name},
        **kwargs,
    )
    v.use_event(btn, "click", lambda *_: on_click())
    return btn


@solara.component
def Shell(title: str, sidebar: list, children: list):
    """``sidebar`` in the drawer, ``children`` in the main area, under an app bar titled ``title``."""
    open_, set_open = solara.use_state(None)  # None: Vuetify opens it on a wide screen, not on a narrow one
    dark = bool(solara.lab.use_dark_effective())
    with v.Html(tag="div", class_="gg-shell") as main:
        solara.Title(title)
        with v.NavigationDrawer(
            v_model=open_,
            on_v_model=set_open,
            app=True,
            clipped=True,
            width=SIDEBAR_WIDTH,
            mobile_break_point=MOBILE_BELOW,
            disable_route_watcher=True,
            style_="max-width: 90vw",
            class_="gg-sidebar",
        ):
            v.Html(tag="div", children=sidebar, style_="padding: 8px 10px")
        with v.AppBar(color="primary", dark=True, app=True, clipped_left=True, dense=True):
            icon_button("mdi-menu", "Show or hide the controls", lambda: set_open(not open_), class_="gg-menu")
            v.ToolbarTitle(children=[title], class_="gg-title", style_="font-size: 17px")
            v.Spacer()
            icon_button(
                "mdi-weather-sunny" if dark else "mdi-weather-night",
                "Light mode" if dark else "Dark mode",
                lambda: setattr(theme, "dark", not dark),
                class_="gg-dark",
            )
        with v.Content(class_="gg-content"):
            v.Html(tag="div", children=children, style_="padding: 10px; max-width: 100%")
    return main
