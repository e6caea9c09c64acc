"""Work on devices: data wipes (by hand or from an nwipe log), quality checks and repair tasks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from digibank.lib.forms import add_errors
from digibank.networks.access import get_visible_or_404, staff_view

from .. import selectors, services
from ..forms import (
    NwipeImportForm,
    QualityCheckForm,
    RepairFilterForm,
    RepairTaskForm,
    RepairWorkForm,
    WipeForm,
)
from ..models import Device, RepairStatus, RepairTask

TASKS_PER_PAGE = 50


@require_http_methods(["GET", "POST"])
@staff_view("device.manage", model=Device)
def wipe_add(request: HttpRequest, device: Device) -> HttpResponse:
    form = WipeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.wipe_record(
                device=device,
                actor=request.user,
                method=data["method"],
                tool=data["tool"],
                performed_at=data["performed_at"],
                succeeded=data["succeeded"],
                verification=data["verification"],
                disk_serial=data["disk_serial"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The data wipe is recorded."))
            return redirect("devices:detail", pk=device.pk)
    return render(request, "devices/wipe_form.html", {"form": form, "device": device})


@require_http_methods(["GET", "POST"])
@staff_view("device.manage")
def nwipe_import(request: HttpRequest) -> HttpResponse:
    """Upload an nwipe log: one wipe record per disk that matches exactly one device; the rest is reported."""
    return _nwipe_import(request, device=None)


@require_http_methods(["GET", "POST"])
@staff_view("device.manage", model=Device)
def device_nwipe_import(request: HttpRequest, device: Device) -> HttpResponse:
    """The same import from a device page's "next step": back to the device when all went well for it."""
    return _nwipe_import(request, device=device)


def _nwipe_import(request: HttpRequest, *, device: Device | None) -> HttpResponse:
    form = NwipeImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.wipe_import_nwipe(
            network=request.network,
            actor=request.user,
            log=form.log,
            dry_run=form.cleaned_data["dry_run"],
            for_device=device,
        )
        if not result.dry_run and result.imported:
            messages.success(request, _("%(n)d data wipe(s) recorded.") % {"n": len(result.imported)})
        if device is not None and not result.dry_run and _all_well_for(result, device):
            return redirect("devices:detail", pk=device.pk)
    return render(request, "devices/nwipe_import.html", {"form": form, "result": result, "device": device})


def _all_well_for(result: services.NwipeImport, device: Device) -> bool:
    """Every disk of the log was recorded for this device and counts: nothing to read on the result page."""
    return (
        bool(result.matches)
        and all(m.imported and m.device.pk == device.pk and not m.not_counting for m in result.matches)
        and not result.warnings
    )


@require_http_methods(["GET", "POST"])
@staff_view("device.manage", model=Device)
def check_add(request: HttpRequest, device: Device) -> HttpResponse:
    # Bound on any POST: nothing ticked is a real answer (a failed check), not an empty form.
    form = QualityCheckForm(request.POST if request.method == "POST" else None, device=device)
    if request.method == "POST" and form.is_valid():
        check = services.quality_check_record(
            device=device, actor=request.user, items=form.answers(), notes=form.cleaned_data["notes"]
        )
        if check.passed:
            messages.success(request, _("The quality check passed."))
        else:
            messages.warning(
                request, _("The quality check did not pass: the device cannot be made ready yet.")
            )
        return redirect("devices:detail", pk=device.pk)
    return render(request, "devices/check_form.html", {"form": form, "device": device})


@require_http_methods(["GET", "POST"])
@staff_view("device.manage", model=Device)
def repair_add(request: HttpRequest, device: Device) -> HttpResponse:
    form = RepairTaskForm(request.POST or None, volunteers=selectors.volunteers(network=request.network))
    if request.method == "POST" and form.is_valid():
        try:
            services.repair_task_create(
                device=device,
                actor=request.user,
                title=form.cleaned_data["title"],
                assigned_to=form.cleaned_data["assigned_to"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The repair task is created."))
            return redirect("devices:detail", pk=device.pk)
    return render(request, "devices/repair_form.html", {"form": form, "device": device})


@require_GET
@staff_view("device.view")
def repair_list(request: HttpRequest) -> HttpResponse:
    form = RepairFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    tasks = selectors.repair_task_list(membership=request.membership, status=status)
    page = Paginator(tasks, TASKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "devices/repair_list.html", {"form": form, "page": page, "tasks": list(page.object_list)}
    )


@require_GET
@staff_view("repair.work")
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The PC doctor's own tasks, made for a phone in the workshop."""
    open_tasks, finished = selectors.my_repair_tasks(membership=request.membership)
    return render(request, "devices/my_tasks.html", {"open_tasks": open_tasks, "finished": finished})


def _render_task(request, task: RepairTask, *, work_form=None, manage_form=None) -> HttpResponse:
    membership = request.membership
    # The device through its own scoping: a volunteer sees exactly the devices of their tasks.
    device = get_visible_or_404(Device, membership, pk=task.device_id)
    earlier = [
        t
        for t in selectors.repair_task_list(membership=membership).filter(device=device).exclude(pk=task.pk)
        if t.diagnosis or t.parts_used
    ]
    context = {
        "task": task,
        "device": device,
        "earlier": earlier,
        "can_work": task.status != RepairStatus.CANCELLED,
        "work_form": work_form or RepairWorkForm(instance=task),
        "can_manage": membership.has("device.manage"),
    }
    if context["can_manage"]:
        context["manage_form"] = manage_form or RepairTaskForm(
            instance=task, volunteers=selectors.volunteers(network=request.network)
        )
    return render(request, "devices/task_detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_view("repair.work", model=RepairTask)
def task_detail(request: HttpRequest, task: RepairTask) -> HttpResponse:
    if request.method == "GET":
        return _render_task(request, task)
    form = RepairWorkForm(request.POST, instance=RepairTask(minutes_spent=task.minutes_spent))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.repair_task_work(
                task=task,
                actor=request.user,
                diagnosis=data["diagnosis"],
                parts_used=data["parts_used"],
                minutes_spent=data["minutes_spent"],
                done="done" in request.POST,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if task.status == RepairStatus.DONE:
                messages.success(request, _("Well done! The task is marked as done."))
                return redirect(
                    "devices:my_tasks" if task.assigned_to_id == request.user.pk else "devices:repairs"
                )
            messages.success(request, _("Saved."))
            return redirect("devices:task_detail", pk=task.pk)
    return _render_task(request, task, work_form=form)


@require_POST
@staff_view("device.manage", model=RepairTask)
def task_manage(request: HttpRequest, task: RepairTask) -> HttpResponse:
    """Reassign, rename or cancel a task (the service desk)."""
    if request.POST.get("action") == "cancel":
        try:
            services.repair_task_cancel(task=task, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The task is cancelled."))
        return redirect("devices:task_detail", pk=task.pk)
    form = RepairTaskForm(
        request.POST, instance=RepairTask(), volunteers=selectors.volunteers(network=request.network)
    )
    if form.is_valid():
        try:
            services.repair_task_assign(
                task=task,
                actor=request.user,
                title=form.cleaned_data["title"],
                assigned_to=form.cleaned_data["assigned_to"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The task is updated."))
            return redirect("devices:task_detail", pk=task.pk)
    return _render_task(request, task, manage_form=form)
