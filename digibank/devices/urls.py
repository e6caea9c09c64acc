from django.urls import path

from .views import devices, stock, work

app_name = "devices"

urlpatterns = [
    path("", devices.device_list, name="list"),
    path("new/", devices.device_create, name="create"),
    path("tag/", devices.device_by_tag, name="by_tag"),
    path("export.csv", devices.device_export_csv, name="export_csv"),
    path("export.xlsx", devices.device_export_xlsx, name="export_xlsx"),
    path("overview/", stock.stock_overview, name="overview"),
    path("impact/", stock.impact, name="impact"),
    path("impact/export/", stock.impact_export, name="impact_export"),
    path("labels/", stock.label_sheet, name="labels"),
    path("wipes/import/", work.nwipe_import, name="nwipe_import"),
    path("locations/", stock.location_list, name="locations"),
    path("locations/<int:pk>/", stock.location_edit, name="location_edit"),
    path("repairs/", work.repair_list, name="repairs"),
    path("repairs/mine/", work.my_tasks, name="my_tasks"),
    path("repairs/<int:pk>/", work.task_detail, name="task_detail"),
    path("repairs/<int:pk>/manage/", work.task_manage, name="task_manage"),
    path("stocktakes/", stock.stocktake_list, name="stocktakes"),
    path("stocktakes/<int:pk>/", stock.stocktake_detail, name="stocktake_detail"),
    path("stocktakes/<int:pk>/move/", stock.stocktake_move, name="stocktake_move"),
    path("stocktakes/<int:pk>/close/", stock.stocktake_close, name="stocktake_close"),
    path("<int:pk>/", devices.device_detail, name="detail"),
    path("<int:pk>/edit/", devices.device_edit, name="edit"),
    path("<int:pk>/specs/", devices.device_specs, name="specs"),
    path("<int:pk>/status/", devices.device_status, name="status"),
    path("<int:pk>/seen/", devices.device_seen, name="seen"),
    path("<int:pk>/wipes/new/", work.wipe_add, name="wipe_add"),
    path("<int:pk>/wipes/import/", work.device_nwipe_import, name="device_nwipe_import"),
    path("<int:pk>/check/", work.check_add, name="check_add"),
    path("<int:pk>/repairs/new/", work.repair_add, name="repair_add"),
]
