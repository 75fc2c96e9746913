"""Local preview of OLX courses in the XBlock SDK's WorkbenchRuntime."""
