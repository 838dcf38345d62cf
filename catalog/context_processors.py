from django.conf import settings


def site(request):
    return {"REGION_NAME": settings.TARMOA_REGION_NAME, "QUERY_MAX_LENGTH": settings.SEARCH_QUERY_MAX_LENGTH}
