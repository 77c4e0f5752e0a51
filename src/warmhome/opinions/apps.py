from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "warmhome.opinions"
    label = "opinions"
    verbose_name = _("妇情民意")

    def ready(self) -> None:
        from warmhome.core import demo, warmup
        from warmhome.opinions import actions, navigation, sources, todo, workflow  # noqa: F401
        from warmhome.opinions.demo import opinions_demo_load
        from warmhome.opinions.training import warm_up

        demo.register("opinions", opinions_demo_load, order=70)
        warmup.register(warm_up)

        from warmhome.portal.pages import PublicPage, register

        register(
            PublicPage(
                key="opinions",
                title=_("妇情民意留言"),
                url_name="opinions_public:submit",
                description=_("向妇联反映您身边妇女儿童的困难、诉求和建议。"),
                order=40,
            )
        )
