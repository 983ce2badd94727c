/*
 * The SBI interface served by guests/sbi (firmware) and used by
 * guests/skernel (S-mode kernel): extension and function ids, error codes
 * and argument values, from the RISC-V Supervisor Binary Interface
 * specification v2.0.  Calling convention ("Binary Encoding"): ECALL from
 * S-mode with a7 = extension id (EID), a6 = function id (FID), arguments in
 * a0-a5; the call returns a0 = error code, a1 = value and preserves every
 * other register.  Legacy extensions (EID 0x00-0x0f) ignore a6 and return
 * only a0.
 */
#ifndef SBI_H
#define SBI_H

/* ---- error codes (sbiret.error) ---- */
#define SBI_SUCCESS                0
#define SBI_ERR_FAILED            (-1)
#define SBI_ERR_NOT_SUPPORTED     (-2)
#define SBI_ERR_INVALID_PARAM     (-3)
#define SBI_ERR_DENIED            (-4)
#define SBI_ERR_INVALID_ADDRESS   (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED   (-7)
#define SBI_ERR_ALREADY_STOPPED   (-8)

/* ---- this implementation (Base extension answers) ---- */
#define SBI_SPEC_VERSION   0x02000000u  /* 2.0: major in bits 30:24, minor in 23:0 */
#define SBI_IMPL_ID        0x504fu      /* "PO": popek's firmware; not in the spec's table of ids */
#define SBI_IMPL_VERSION   0x00010000u  /* 1.0: major in bits 31:16, minor in 15:0 */

/* ---- extension ids (a7) and function ids (a6) ---- */
#define SBI_EXT_LEGACY_PUTCHAR  0x01u   /* legacy console putchar: a0 = byte */

#define SBI_EXT_BASE            0x10u
#define SBI_BASE_GET_SPEC_VERSION  0
#define SBI_BASE_GET_IMPL_ID       1
#define SBI_BASE_GET_IMPL_VERSION  2
#define SBI_BASE_PROBE_EXTENSION   3
#define SBI_BASE_GET_MVENDORID     4
#define SBI_BASE_GET_MARCHID       5
#define SBI_BASE_GET_MIMPID        6

#define SBI_EXT_TIME            0x54494d45u  /* "TIME" */
#define SBI_TIME_SET_TIMER         0   /* a0 = stime_value low half, a1 = high half (RV32) */

#define SBI_EXT_IPI             0x735049u    /* "sPI" */
#define SBI_IPI_SEND_IPI           0   /* a0 = hart_mask, a1 = hart_mask_base */

#define SBI_EXT_RFENCE          0x52464e43u  /* "RFNC" */
#define SBI_RFENCE_FENCE_I         0   /* a0 = hart_mask, a1 = hart_mask_base */
#define SBI_RFENCE_SFENCE_VMA      1   /* ... a2 = start_addr, a3 = size */
#define SBI_RFENCE_SFENCE_VMA_ASID 2   /* ... a4 = asid */

#define SBI_EXT_HSM             0x48534du    /* "HSM" */
#define SBI_HSM_HART_START         0   /* a0 = hartid, a1 = start_addr, a2 = opaque */
#define SBI_HSM_HART_STOP          1
#define SBI_HSM_HART_GET_STATUS    2   /* a0 = hartid */
#define SBI_HSM_HART_SUSPEND       3   /* a0 = suspend_type, a1 = resume_addr, a2 = opaque */
#define SBI_HSM_STATE_STARTED      0
#define SBI_HSM_SUSPEND_RETENTIVE      0x00000000u
#define SBI_HSM_SUSPEND_NON_RETENTIVE  0x80000000u

#define SBI_EXT_SRST            0x53525354u  /* "SRST" */
#define SBI_SRST_SYSTEM_RESET      0   /* a0 = reset_type, a1 = reset_reason */
#define SBI_SRST_TYPE_SHUTDOWN     0u
#define SBI_SRST_TYPE_COLD_REBOOT  1u
#define SBI_SRST_TYPE_WARM_REBOOT  2u
#define SBI_SRST_REASON_NONE       0u
#define SBI_SRST_REASON_FAILURE    1u

#define SBI_EXT_DBCN            0x4442434eu  /* "DBCN" */
#define SBI_DBCN_CONSOLE_WRITE      0  /* a0 = num_bytes, a1 = base_addr_lo, a2 = base_addr_hi */
#define SBI_DBCN_CONSOLE_READ       1  /* same arguments */
#define SBI_DBCN_CONSOLE_WRITE_BYTE 2  /* a0 = byte */

#endif
