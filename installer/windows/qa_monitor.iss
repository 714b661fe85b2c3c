; QA Monitor for Windows: Inno Setup 6 script around the PyInstaller folder.
;   pyinstaller --noconfirm installer\qa_monitor.spec          (makes dist\qa-monitor\)
;   iscc /DAppVersion=x.y.z installer\windows\qa_monitor.iss   (makes dist\qa-monitor-x.y.z-windows-x64-setup.exe)
; The version comes from qa_monitor\__init__.py (the CI workflow reads it there).
;
; IT deployment (no questions, no windows):
;   setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /ALLUSERS      for every user (admin)
;   setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER   for the current user only
;   "%ProgramFiles%\QA Monitor\unins000.exe" /VERYSILENT             uninstall (per-machine)
; Uninstalling removes only what this installer put in the program folder and the Start
; menu: databases, backups and logs (%LOCALAPPDATA%\QA Monitor) and settings (registry,
; HKCU\Software\QA Monitor) are not installed by it, so they are kept.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z (qa_monitor.__version__)
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\qa-monitor"
#endif

[Setup]
; The AppId identifies the installation for upgrades and uninstall: never change it.
AppId={{6F0B6F7E-3C55-4C1B-9E59-1D0A6B7C2E41}
AppName=QA Monitor
AppVersion={#AppVersion}
AppVerName=QA Monitor {#AppVersion}
AppPublisher=QA Monitor
VersionInfoVersion={#AppVersion}
; {autopf}: Program Files when installed for everyone, %LOCALAPPDATA%\Programs per user.
DefaultDirName={autopf}\QA Monitor
DefaultGroupName=QA Monitor
DisableProgramGroupPage=yes
; Per-user by default (no admin rights needed); the wizard asks, and /ALLUSERS or
; /CURRENTUSER choose on the command line.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=qa-monitor-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\qa-monitor.ico
UninstallDisplayIcon={app}\qa-monitor.exe
UninstallDisplayName=QA Monitor {#AppVersion}
LicenseFile=..\..\LICENSE
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; A running copy is asked to close before its files are replaced.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\QA Monitor"; Filename: "{app}\qa-monitor.exe"
Name: "{autodesktop}\QA Monitor"; Filename: "{app}\qa-monitor.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\qa-monitor.exe"; Description: "{cm:LaunchProgram,QA Monitor}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the user's data is never deleted.
