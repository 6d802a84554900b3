; SPDX-License-Identifier: MIT
; Appended to the CPack NSIS uninstaller (CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS): a clean uninstall.
; The program files, Start-menu entry and uninstall registry keys are removed by CPack's own code.
; Stop a running tray app so that its files can be deleted.
nsExec::Exec 'taskkill /IM zaibridge.exe /F'
nsExec::Exec 'taskkill /IM zaibridge-server.exe /F'
; The open-at-login entry, whether the installer or the tray menu made it.
DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "ZaiBridge"
; The settings (QSettings: HKCU\Software\ZaiBridge) only when the user asks; silent uninstalls keep
; them. Secrets are in Windows Credential Manager under "zaibridge" and are left to the user.
MessageBox MB_YESNO|MB_ICONQUESTION "Also remove your ZaiBridge settings?" /SD IDNO IDNO zb_keep_settings
  DeleteRegKey HKCU "Software\ZaiBridge"
zb_keep_settings:
