"""Base classes for API views over services and selectors."""

from rest_framework.settings import api_settings
from rest_framework.views import APIView

from concejo.api.permissions import HasScope


class ServiceAPIView(APIView):
    """Token-authenticated view; subclasses set `required_scopes` per HTTP method.

    `pagination_class` also tells the OpenAPI schema that list responses come in
    keyset pages ({next, previous, results}), as `paginate` returns them.
    """

    permission_classes = [HasScope]
    required_scopes: dict[str, str] = {}
    pagination_class = api_settings.DEFAULT_PAGINATION_CLASS

    def paginate(self, queryset, serializer_class):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        return paginator.get_paginated_response(serializer_class(page, many=True).data)
