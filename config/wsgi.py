import os

from django.core.wsgi import get_wsgi_application

from config.folders import make_database_folders

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
make_database_folders()
application = get_wsgi_application()
