app_name = "lending"

urlpatterns = []
