from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "taizhang.web"
    label = "web"
    verbose_name = _("Web")


# Django 6.1's label for an empty choice, which its own zh-Hans catalogue does not have yet: listed here so it
# is in ours (the project's catalogue takes precedence over Django's).
BLANK_CHOICE_LABEL = _("- Select an option -")
