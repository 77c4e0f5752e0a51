from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "warmhome.certificates"
    label = "certificates"
    verbose_name = _("证书")

    def ready(self) -> None:
        from warmhome.certificates import actions
        from warmhome.portal.pages import PublicPage, register

        del actions
        register(
            PublicPage(
                key="certificate_verify",
                title=_("证书查验"),
                url_name="certificates:certificate_verify_form",
                description=_("输入证书编号和验证码，或用手机扫描证书上的二维码，核验证书真伪。"),
                order=10,
            )
        )
