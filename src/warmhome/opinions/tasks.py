"""Background work: retraining the topic model (from the model page, or on a schedule)."""

from typing import Any

from django.utils.translation import gettext as _

from warmhome.core.jobs import JobProgress, job_task


@job_task
def model_train_task(progress: JobProgress) -> dict[str, Any]:
    """Train and activate a new version, as ``warmhome opinions train`` does."""
    from warmhome.opinions.services import model_version_train

    progress.update(0, 1, _("正在训练分类模型"))
    version, evaluation = model_version_train(actor=progress.owner)
    return {
        "version": version.version,
        "macro_f1": evaluation.macro_f1,
        "summary": _("已训练并启用模型 v%(version)d，留出集宏平均 F1 为 %(f1).3f。")
        % {"version": version.version, "f1": evaluation.macro_f1},
    }
