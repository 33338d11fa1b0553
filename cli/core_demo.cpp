// Placeholder replaced by the core demonstration.
int main() { return 0; }
