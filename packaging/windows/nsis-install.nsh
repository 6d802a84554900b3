; SPDX-License-Identifier: MIT
; Appended to the CPack NSIS installer's install section (CPACK_NSIS_EXTRA_INSTALL_COMMANDS).
; The optional open-at-login choice: the same Run value the tray app's "Open at login" writes
; (src/gui/AutoStart.cpp), so the menu shows the choice and can undo it. Silent installs (/S) skip it.
MessageBox MB_YESNO|MB_ICONQUESTION "Open ZaiBridge automatically when you log in?$\r$\n$\r$\nYou can change this later in the tray menu (Open at login)." /SD IDNO IDNO zb_no_autostart
  WriteRegStr HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "ZaiBridge" '"$INSTDIR\bin\zaibridge.exe" --autostart'
zb_no_autostart:
