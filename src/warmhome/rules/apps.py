from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "warmhome.rules"
    label = "rules"
    verbose_name = _("规则与日历")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from warmhome.core import deadlines, policy
        from warmhome.rules import actions, navigation, signals, todo
        from warmhome.rules.models import CalendarDay, Policy
        from warmhome.rules.selectors import policy_cache, policy_value
        from warmhome.rules.workdays import add_days, calendar_cache

        # After every migrate (and test-database flush): initial values, never overwriting.
        post_migrate.connect(signals.ensure_initial_rules, sender=self, dispatch_uid="rules_init")
        # Cache invalidation only: any write, through services or not, drops the read cache.
        for model, cache in ((Policy, policy_cache), (CalendarDay, calendar_cache)):
            for signal in (post_save, post_delete):
                signal.connect(cache.written, sender=model, weak=False)
        # core counts deadlines without importing rules (it is the lower layer).
        deadlines.set_day_counter(add_days)
        policy.set_policy_reader(policy_value)
        del actions, navigation, todo
