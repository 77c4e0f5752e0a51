"""The registry of channels an opinion comes in by (妇情民意的收集渠道).

Each channel says who may be named as its submitter and whether it needs a signed-in actor.
Modules that collect opinions of their own register a channel here and hand each one to
``opinions.services.opinion_submit``; the rights module's help requests will come in as
``help_request``. A channel once used stays registered: stored opinions name it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class Channel:
    key: str
    label: str | Promise
    #: a representative's duty (履职): the submitter is the signed-in representative herself
    duty: bool = False
    #: opinions of this channel may come from someone who is not signed in (the public site)
    public: bool = False


_channels: dict[str, Channel] = {}


def register_channel(channel: Channel) -> Channel:
    """Make ``channel`` known; the same key twice with another meaning is an error."""
    existing = _channels.get(channel.key)
    if existing is not None and existing != channel:
        raise ValueError(f"Opinion channel {channel.key!r} is already registered differently.")
    _channels[channel.key] = channel
    return channel


def get_channel(key: str) -> Channel | None:
    return _channels.get(key)


def all_channels() -> list[Channel]:
    return list(_channels.values())


def channel_label(key: str) -> str | Promise:
    channel = _channels.get(key)
    return channel.label if channel is not None else key


WOMENS_REP = register_channel(Channel("womens_rep", _("妇女代表反映"), duty=True))
EXECUTIVE_MEMBER = register_channel(Channel("executive_member", _("执委反映"), duty=True))
NPC_DEPUTY = register_channel(Channel("npc_deputy", _("人大女代表履职"), duty=True))
CPPCC_MEMBER = register_channel(Channel("cppcc_member", _("政协女委员履职"), duty=True))
VISIT = register_channel(Channel("visit", _("干部走访（下基层、访妇情）")))
HELP_REQUEST = register_channel(Channel("help_request", _("来信来电来访求助")))
PUBLIC_SITE = register_channel(Channel("public_site", _("门户网站留言"), public=True))
BATCH_IMPORT = register_channel(Channel("batch_import", _("Excel 批量导入")))
