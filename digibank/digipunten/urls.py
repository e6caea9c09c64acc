app_name = "digipunten"

urlpatterns = []
