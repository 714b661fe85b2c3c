from qa_monitor.cli import main

raise SystemExit(main())
