from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExcelConfig(AppConfig):
    name = "taizhang.excel"
    label = "excel"
    verbose_name = _("Excel import and export")
